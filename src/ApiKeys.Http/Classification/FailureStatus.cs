using System.Runtime.CompilerServices;
using ApiKeys.Pool;

namespace ApiKeys.Http.Classification;

/// <summary>
/// Sets <see cref="KeyFailure.StatusCode"/> on a failure made by a factory. The property is init-only and the factories
/// take no status, so an object initializer cannot reach it; <see cref="UnsafeAccessorAttribute"/> calls its setter
/// without reflection (AOT-safe). A core overload taking the status would make this unnecessary.
/// </summary>
internal static class FailureStatus
{
    public static KeyFailure With(KeyFailure failure, int status)
    {
        SetStatusCode(failure, status);
        return failure;
    }

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_StatusCode")]
    private static extern void SetStatusCode(KeyFailure failure, int? value);
}
