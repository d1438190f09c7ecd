package io.geolake.pipeline.ingest;

import java.io.Serializable;

/** One delivered file to read, as handed to an executor. */
record DeliveryFile(String source, String uri, FileKind kind, long bytes) implements Serializable {}
