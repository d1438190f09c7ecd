package io.geolake.ops.alert;

import io.geolake.core.config.GeolakeConfig;
import java.net.URI;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsClientBuilder;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * An AWS SNS topic (AWS SDK v2): subject = the title (SNS allows 100 characters), message = the
 * text, with the alert kind and date as message attributes so subscriptions can filter on them.
 * Credentials come from the SDK's default chain (environment, profile, instance role).
 */
final class SnsChannel implements AlertChannel {
  private final String topicArn;
  private final SnsClient client;

  SnsChannel(GeolakeConfig.Sns settings) {
    this.topicArn = settings.topicArn();
    SnsClientBuilder builder = SnsClient.builder().region(Region.of(settings.region())).httpClientBuilder(UrlConnectionHttpClient.builder());
    if (!settings.endpoint().isBlank()) {
      builder.endpointOverride(URI.create(settings.endpoint()));
    }
    this.client = builder.build();
  }

  @Override
  public String name() {
    return "sns";
  }

  @Override
  public void send(Alert alert) {
    String subject = ("[geolake] " + alert.title());
    client.publish(
        PublishRequest.builder()
            .topicArn(topicArn)
            .subject(subject.length() > 100 ? subject.substring(0, 97) + "..." : subject)
            .message(alert.text())
            .messageAttributes(java.util.Map.of(
                "kind", MessageAttributeValue.builder().dataType("String").stringValue(alert.kind().name()).build(),
                "date", MessageAttributeValue.builder().dataType("String").stringValue(alert.date().toString()).build()))
            .build());
  }
}
