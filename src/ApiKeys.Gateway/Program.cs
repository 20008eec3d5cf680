// The gateway: dotnet run --project src/ApiKeys.Gateway [-- --urls URL | --port N] [--upstream URL] [--dir DIR] [--redis CONNECTION]
return await ApiKeys.Gateway.GatewayApp.RunAsync(args).ConfigureAwait(false);
