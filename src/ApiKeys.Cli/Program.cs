using ApiKeys.Cli;
using ApiKeys.Cli.Terminal;

using var console = new SystemConsole();
return CliApp.Run(args, console);
