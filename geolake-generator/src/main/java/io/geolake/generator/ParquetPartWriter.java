package io.geolake.generator;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Typed Parquet: coordinates as doubles, event time as INT64 epoch seconds. */
final class ParquetPartWriter extends PartWriter {
  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          """
          message ping {
            required binary device_id (STRING);
            optional binary id_type (STRING);
            required double latitude;
            required double longitude;
            optional double horizontal_accuracy;
            required int64 event_ts;
            optional binary ip_address (STRING);
            optional binary platform (STRING);
            optional binary os_version (STRING);
            optional binary app_id (STRING);
            optional binary country (STRING);
          }
          """);

  private final ParquetWriter<Group> writer;
  private final SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);

  ParquetPartWriter(Path target) throws IOException {
    super(target);
    Configuration conf = new Configuration(false);
    // The raw local file system writes no .crc side files into the landing folder.
    conf.set("fs.file.impl", org.apache.hadoop.fs.RawLocalFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    writer =
        ExampleParquetWriter.builder(
                HadoopOutputFile.fromPath(
                    new org.apache.hadoop.fs.Path(inProgress.toUri()), conf))
            .withType(SCHEMA)
            .withConf(conf)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .build();
  }

  @Override
  void doWrite(Ping p) throws IOException {
    Device d = p.device();
    Group g = groups.newGroup();
    g.add("device_id", d.id());
    g.add("id_type", d.idType());
    g.add("latitude", p.latitude());
    g.add("longitude", p.longitude());
    if (p.accuracy() != null) {
      g.add("horizontal_accuracy", p.accuracy());
    }
    g.add("event_ts", p.epochSecond());
    g.add("ip_address", d.ipAddress());
    g.add("platform", d.platform());
    g.add("os_version", d.osVersion());
    g.add("app_id", d.appId());
    g.add("country", "MX");
    writer.write(g);
  }

  @Override
  void finish() throws IOException {
    writer.close();
  }
}
