using ApiKeys.Usage.Storage;
using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Tests;

/// <summary>The request log's insert: a value equal to the last row's is not bound again, and every row still holds its own.</summary>
public sealed class RawInsertTests
{
    [Fact]
    public void Execute_ValuesRepeatedChangedAndNulled_EachRowAsBound()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t(a INTEGER, b INTEGER, c INTEGER)";
            create.ExecuteNonQuery();
        }

        long?[][] rows = [[1, null, 7], [1, 2, 7], [1, null, 7], [3, null, 8], [3, 2, 8], [null, 2, 8], [1, 2, 7]];
        using (var insert = new RawInsert(connection, "INSERT INTO t(a, b, c) VALUES (?1, ?2, ?3)"))
        {
            foreach (var row in rows)
            {
                insert.Bind(1, row[0]);
                insert.Bind(2, row[1]);
                insert.Bind(3, row[2]!.Value);
                insert.Execute();
            }
        }

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT a, b, c FROM t ORDER BY rowid";
        using var reader = read.ExecuteReader();
        var stored = new List<long?[]>();
        while (reader.Read())
        {
            stored.Add([reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetInt64(2)]);
        }

        Assert.Equal(rows, stored);
    }
}
