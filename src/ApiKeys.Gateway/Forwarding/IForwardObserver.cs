namespace ApiKeys.Gateway.Forwarding;

/// <summary>Told about every request once it has ended (the access log; usage accounting, metrics). Called on the request's thread: keep it quick.</summary>
public interface IForwardObserver
{
    /// <summary>The request ended.</summary>
    void OnCompleted(ForwardContext context);
}
