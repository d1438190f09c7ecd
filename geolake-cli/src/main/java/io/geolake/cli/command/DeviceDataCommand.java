package io.geolake.cli.command;

import io.geolake.cli.output.TablePrinter;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.privacy.DeviceData;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geolake device-data}: everything the lake holds about devices, for a person's request to see their data. */
@Command(
    name = "device-data",
    mixinStandardHelpOptions = true,
    description = {
      "Write everything the lake holds about devices, for a person's request to see their data.",
      "Their rows of every table, matched as geolake forget matches them, one JSON lines file per table into --out. "
          + "Needs a role that reads every table whole with personal-data (admin); recorded in the query audit by pseudonym."
    })
public final class DeviceDataCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--device-id", required = true, paramLabel = "ID", description = "A device id as delivered (repeatable).")
  List<String> deviceIds;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder (path or URI) for the <layer>.<table>.jsonl files.")
  String out;

  @Option(names = "--role", paramLabel = "ROLE", description = "Role of access.roles to act in (default: access.cli-role).")
  String role;

  @Override
  public Integer call() {
    GeolakeConfig config = common.load();
    DeviceRequest request = DeviceRequest.open(config, role, deviceIds, "geolake device-data", "read a device's data", false);
    List<DeviceData.Exported> files;
    try {
      files = new DeviceData(Lakehouse.open(config), config).export(deviceIds, out, f -> {});
    } catch (RuntimeException e) {
      request.failed(e);
      throw e;
    }
    long rows = files.stream().mapToLong(DeviceData.Exported::rows).sum();
    request.finished(rows);
    PrintWriter printed = spec.commandLine().getOut();
    TablePrinter table = new TablePrinter(List.of("table", "rows", "file"));
    files.forEach(f -> table.add(List.of(f.table(), String.format("%,d", f.rows()), f.file().toString())));
    if (files.isEmpty()) {
      printed.printf("The lake holds no rows of %d device(s); no file was written.%n", deviceIds.size());
    } else {
      table.print(printed);
      printed.printf("%,d rows of %d device(s) in %d files.%n", rows, deviceIds.size(), files.size());
    }
    printed.flush();
    return 0;
  }
}
