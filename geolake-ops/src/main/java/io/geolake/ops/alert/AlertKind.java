package io.geolake.ops.alert;

public enum AlertKind {
  RUN_FAILED("run failed"),
  QUALITY_FAILED("quality rule failed"),
  SLA_MISSED("SLA missed"),
  RUN_RECOVERED("recovered"),
  MAINTENANCE_FAILED("maintenance failed"),
  TRAINING_FAILED("training failed"),
  MODEL_LEARNED_FROM_REVERTED("model learned from reverted rows");

  private final String label;

  AlertKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
