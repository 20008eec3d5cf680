namespace ApiKeys.Gateway.Admin;

/// <summary>Marks the dashboard's endpoints that answer without a session: the static files and the sign-in page (which check the password themselves).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
internal sealed class AdminPublicAttribute : Attribute;
