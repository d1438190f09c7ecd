package io.geolake.ops.alert;

/** One way of telling someone: the log, a chat webhook, e-mail, an SNS topic. */
public interface AlertChannel {
  String name();

  /** Delivers the alert or throws; the alerter goes on with the other channels either way. */
  void send(Alert alert) throws Exception;
}
