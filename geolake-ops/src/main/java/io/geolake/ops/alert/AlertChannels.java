package io.geolake.ops.alert;

import io.geolake.core.config.GeolakeConfig;
import java.util.ArrayList;
import java.util.List;

/** The channels the config turns on. */
public final class AlertChannels {
  private AlertChannels() {}

  static List<AlertChannel> from(GeolakeConfig.Alerts alerts) {
    List<AlertChannel> channels = new ArrayList<>();
    if (alerts.log().enabled()) {
      channels.add(new LogChannel());
    }
    if (!alerts.webhook().url().isBlank()) {
      channels.add(new WebhookChannel(alerts.webhook().url()));
    }
    if (!alerts.email().smtpHost().isBlank()) {
      channels.add(new EmailChannel(alerts.email()));
    }
    if (!alerts.sns().topicArn().isBlank()) {
      channels.add(new SnsChannel(alerts.sns()));
    }
    return channels;
  }
}
