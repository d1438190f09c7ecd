package io.geolake.generator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** JSON lines, event times as epoch milliseconds, missing accuracy as an absent key. */
final class JsonLinesPartWriter extends PartWriter {
  private final BufferedWriter out;

  JsonLinesPartWriter(Path target) throws IOException {
    super(target);
    out = Files.newBufferedWriter(inProgress, StandardCharsets.UTF_8);
  }

  @Override
  void doWrite(Ping p) throws IOException {
    Device d = p.device();
    StringBuilder json = new StringBuilder(220);
    json.append("{\"device_id\":\"").append(d.id()).append("\",\"id_type\":\"").append(d.idType());
    json.append("\",\"latitude\":");
    if (p.latitudeText() != null) {
      json.append('"').append(p.latitudeText()).append('"');
    } else {
      json.append(p.latitude());
    }
    json.append(",\"longitude\":").append(p.longitude());
    if (p.accuracy() != null) {
      json.append(",\"horizontal_accuracy\":").append(p.accuracy());
    }
    json.append(",\"event_ts\":").append(p.epochSecond() * 1000);
    json.append(",\"ip_address\":\"").append(d.ipAddress());
    json.append("\",\"platform\":\"").append(d.platform());
    json.append("\",\"os_version\":\"").append(d.osVersion());
    json.append("\",\"app_id\":\"").append(d.appId()).append("\",\"country\":\"MX\"}");
    String line = p.malformed() ? json.substring(0, json.length() / 2) : json.toString();
    out.write(line);
    out.write('\n');
  }

  @Override
  void finish() throws IOException {
    out.close();
  }
}
