package io.geolake.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real HTTP endpoints for alert tests: a chat webhook (/hook) that keeps every JSON body, and an
 * SNS endpoint (any other path) that accepts only a signed Publish to the expected topic, the way SNS does.
 */
public final class Receivers implements AutoCloseable {
  public static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:geolake-alerts";
  public static final String ACCESS_KEY = "AKIDGEOLAKETEST";

  public final List<String> webhookBodies = new CopyOnWriteArrayList<>();
  /** Each accepted Publish: its form parameters. */
  public final List<Map<String, String>> snsPublishes = new CopyOnWriteArrayList<>();
  public final List<String> snsRejections = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  public Receivers() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", exchange -> {
      webhookBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      respond(exchange, 200, "text/plain", "ok");
    });
    server.createContext("/", this::sns); // the SDK posts to the endpoint root
    server.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private void sns(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    String problem = null;
    if (!"POST".equals(exchange.getRequestMethod())) {
      problem = "method " + exchange.getRequestMethod();
    } else if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/") || !auth.contains("/us-east-1/sns/aws4_request")) {
      problem = "not signed for sns in us-east-1 by " + ACCESS_KEY + ": " + auth;
    } else if (!"Publish".equals(form.get("Action")) || !TOPIC.equals(form.get("TopicArn")) || form.get("Message") == null) {
      problem = "not a Publish to " + TOPIC + ": " + body;
    }
    if (problem != null) {
      snsRejections.add(problem);
      respond(exchange, 400, "text/xml",
          "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>" + problem.replace("<", "") + "</Message></Error>"
              + "<RequestId>r-1</RequestId></ErrorResponse>");
      return;
    }
    snsPublishes.add(form);
    respond(exchange, 200, "text/xml",
        "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>m-" + snsPublishes.size()
            + "</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>");
  }

  private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
