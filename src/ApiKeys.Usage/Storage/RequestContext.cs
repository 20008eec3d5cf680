namespace ApiKeys.Usage.Storage;

/// <summary>A row of <c>contexts</c>: the <c>names</c> ids of a request's token, route, model and outcome, and its status.</summary>
internal readonly record struct RequestContext(long Token, long Route, long Model, int Status, long Outcome);
