package io.geolake.cli;

import io.geolake.cli.command.AuditCommand;
import io.geolake.cli.command.BackfillCommand;
import io.geolake.cli.command.ConfigCommand;
import io.geolake.cli.command.DemoCommand;
import io.geolake.cli.command.GenerateCommand;
import io.geolake.cli.command.IncidentsCommand;
import io.geolake.cli.command.DeviceDataCommand;
import io.geolake.cli.command.ForgetCommand;
import io.geolake.cli.command.MaintainCommand;
import io.geolake.cli.command.ModelsCommand;
import io.geolake.cli.command.RevertCommand;
import io.geolake.cli.command.RunCommand;
import io.geolake.cli.command.RunsCommand;
import io.geolake.cli.command.ServeCommand;
import io.geolake.cli.command.SqlCommand;
import io.geolake.cli.command.TablesCommand;
import io.geolake.cli.command.TokenCommand;
import io.geolake.cli.command.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code geolake} command. Exit codes: 0 success, 1 failed run, 2 bad usage or config. */
@Command(
    name = "geolake",
    mixinStandardHelpOptions = true,
    version = "geolake 0.1.0",
    description = "Mobile location deliveries to clean, deduplicated Iceberg tables.",
    subcommands = {
      DemoCommand.class,
      GenerateCommand.class,
      RunCommand.class,
      RunsCommand.class,
      BackfillCommand.class,
      RevertCommand.class,
      ServeCommand.class,
      TrainCommand.class,
      MaintainCommand.class,
      DeviceDataCommand.class,
      ForgetCommand.class,
      ModelsCommand.class,
      TablesCommand.class,
      SqlCommand.class,
      AuditCommand.class,
      IncidentsCommand.class,
      TokenCommand.class,
      ConfigCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (tests call this in-process). */
  public static int execute(String... args) {
    return new CommandLine(new Main())
        .setExecutionExceptionHandler(new ErrorHandler())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .execute(args);
  }
}
