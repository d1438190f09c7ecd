package io.geolake.cli.command;

import io.geolake.cli.output.TablePrinter;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.privacy.DeviceErasure;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geolake forget}: erase devices from every table, for a person's request to be forgotten. */
@Command(
    name = "forget",
    mixinStandardHelpOptions = true,
    description = {
      "Erase devices from the lake, for a person's request to be forgotten.",
      "Their rows in raw and staging "
          + "(by device id), in the consumption layer (by pseudonym) and the rejected lines that contain the id, "
          + "one commit per table; the id is also blanked out of the query audit. Older snapshots keep the rows "
          + "until geolake maintain expires them; landing's delivered files are not changed, so later ingests drop "
          + "the devices' rows (they are remembered by pseudonym). Needs a role that reads "
          + "every table whole with personal-data and any-statement (admin); recorded in the query audit by pseudonym. Refused while a run holds the lake."
    })
public final class ForgetCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--device-id", required = true, paramLabel = "ID", description = "A device id as delivered (repeatable).")
  List<String> deviceIds;

  @Option(names = "--dry-run", description = "Count the rows that would be erased; change nothing.")
  boolean dryRun;

  @Option(names = "--role", paramLabel = "ROLE", description = "Role of access.roles to act in (default: access.cli-role).")
  String role;

  @Override
  public Integer call() {
    GeolakeConfig config = common.load();
    DeviceRequest request = DeviceRequest.open(config, role, deviceIds, "geolake forget" + (dryRun ? " --dry-run" : ""), "erase devices", true);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<DeviceErasure.Result> results;
    try {
      results = new DeviceErasure(Lakehouse.open(config), config).erase(deviceIds, dryRun, r -> {
        err.printf("  %s: %,d rows %s%n", r.table(), r.rows(), dryRun ? "found" : "erased");
        err.flush();
      });
    } catch (RuntimeException e) {
      request.failed(e);
      throw e;
    }
    long rows = results.stream().mapToLong(DeviceErasure.Result::rows).sum();
    long redacted = 0;
    if (!dryRun) {
      for (String id : deviceIds) {
        redacted += request.audit().redact(id, "<forgotten device>");
      }
    }
    request.finished(rows);
    TablePrinter printer = new TablePrinter(List.of("table", "matched by", dryRun ? "rows found" : "rows erased"));
    results.forEach(r -> printer.add(List.of(r.table(), r.matchedBy(), String.format("%,d", r.rows()))));
    printer.print(out);
    if (dryRun) {
      out.printf("Dry run: %,d rows of %d device(s) would be erased; nothing was changed.%n", rows, deviceIds.size());
    } else {
      out.printf("Erased %,d rows of %d device(s); %,d query audit entries had the id blanked out.%n", rows, deviceIds.size(), redacted);
      out.printf("Snapshots older than now still hold them until they expire: `geolake maintain` removes snapshots older than"
          + " maintenance.snapshot-retention (%s); to purge at once, `geolake maintain --set maintenance.snapshot-retention=PT0S"
          + " --set maintenance.retain-last=1`. The training inputs of registered model versions (tags model-x-<version>) keep"
          + " their consumption rows while the version is live or younger than maintenance.model-input-retention (%s). The"
          + " delivered files in landing are not changed by geolake; the devices are remembered by pseudonym and every later"
          + " ingest drops their rows.%n", config.maintenance().snapshotRetention(), config.maintenance().modelInputRetention());
    }
    out.flush();
    return 0;
  }
}
