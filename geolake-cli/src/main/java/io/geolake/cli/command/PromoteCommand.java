package io.geolake.cli.command;

import io.geolake.cli.output.ModelPrinter;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.model.ManualPromotion;
import io.geolake.pipeline.model.ModelRegistry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code geolake models promote VERSION --reason TEXT}: an operator makes a version of model X live. */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description = {
      "Make a registered version of model X live by hand.",
      "To roll back when the live version misbehaves, or to move off one that learned from reverted runs. "
          + "The next daily runs score with it; dates already scored keep their scores "
          + "until they run again (geolake run --date D --force). The registry keeps who "
          + "did it and why (geolake models --history). Refused for a version that cannot "
          + "score today's profiles; for one that predicts another horizon than "
          + "model.horizon-days or learned from reverted runs, unless --force."
    })
public final class PromoteCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "VERSION", description = "The version to make live, as geolake models lists it (v0002).")
  String version;

  @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why; kept in the registry with the change.")
  String reason;

  @Option(names = "--force", description = "Make it live even if it predicts another horizon or learned from reverted runs.")
  boolean force;

  @Override
  public Integer call() {
    GeolakeConfig config = common.load();
    ModelRegistry registry = new ModelRegistry(Lakehouse.open(config).spark(), config);
    ManualPromotion.Result result =
        new ManualPromotion(registry, config.model()).makeLive(version, "cli: " + System.getProperty("user.name"), reason, force);
    PrintWriter out = spec.commandLine().getOut();
    if (result.change().isEmpty()) {
      out.printf("Model X %s is live already; nothing changed.%n", version);
    } else {
      ModelPrinter.promoted(result, out);
    }
    out.flush();
    return 0;
  }
}
