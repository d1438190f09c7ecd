package io.geolake.generator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.zip.GZIPOutputStream;

/** Gzipped CSV with a header; event times as ISO-8601, in UTC or with the local offset. */
final class CsvGzPartWriter extends PartWriter {
  static final String HEADER =
      "device_id,id_type,latitude,longitude,horizontal_accuracy,event_ts,ip_address,platform,os_version,app_id,country";
  /** Prints seconds even when zero, e.g. 2024-05-06T04:00:00-06:00. */
  private static final DateTimeFormatter ISO_WITH_OFFSET = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  private final BufferedWriter out;

  CsvGzPartWriter(Path target) throws IOException {
    super(target);
    out =
        new BufferedWriter(
            new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(inProgress), 1 << 16),
                StandardCharsets.UTF_8),
            1 << 16);
    out.write(HEADER);
    out.write('\n');
  }

  @Override
  void doWrite(Ping p) throws IOException {
    Device d = p.device();
    Instant instant = Instant.ofEpochSecond(p.epochSecond());
    // Half the devices' apps report local time with an offset, half report UTC.
    String eventTs =
        d.index() % 2 == 0
            ? instant.toString()
            : OffsetDateTime.ofInstant(instant, Timeline.LOCAL).format(ISO_WITH_OFFSET);
    StringBuilder line = new StringBuilder(160);
    line.append(d.id()).append(',').append(d.idType()).append(',');
    line.append(p.latitudeText() != null ? p.latitudeText() : String.valueOf(p.latitude()));
    line.append(',').append(p.longitude()).append(',');
    if (p.accuracy() != null) {
      line.append(p.accuracy());
    }
    line.append(',').append(eventTs);
    if (!p.malformed()) {
      line.append(',').append(d.ipAddress()).append(',').append(d.platform());
      line.append(',').append(d.osVersion()).append(',').append(d.appId()).append(",MX");
    }
    out.write(line.toString());
    out.write('\n');
  }

  @Override
  void finish() throws IOException {
    out.close();
  }
}
