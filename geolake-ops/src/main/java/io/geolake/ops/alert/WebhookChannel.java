package io.geolake.ops.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Slack-compatible incoming webhook: POST of {"text": ...}, which Slack, Mattermost, Rocket.Chat
 * and Microsoft Teams' legacy connectors all accept; the kind, date and facts ride along as fields.
 */
final class WebhookChannel implements AlertChannel {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI url;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  WebhookChannel(String url) {
    this.url = URI.create(url);
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public void send(Alert alert) throws IOException, InterruptedException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("text", alert.text());
    body.put("kind", alert.kind().name().toLowerCase(java.util.Locale.ROOT));
    body.put("date", alert.date().toString());
    body.put("incident", alert.incident());
    body.put("facts", alert.facts());
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("webhook " + url.getHost() + " answered HTTP " + response.statusCode() + ": " + response.body());
    }
  }
}
