package io.geolake.core.schema;

/** The lakehouse layers; each is an Iceberg namespace. */
public enum Layer {
  RAW("raw"),
  STAGING("staging"),
  CONSUMPTION("consumption"),
  OPS("ops");

  private final String namespace;

  Layer(String namespace) {
    this.namespace = namespace;
  }

  public String namespace() {
    return namespace;
  }
}
