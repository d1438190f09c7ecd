package io.geolake.dist;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP endpoint that answers Secrets Manager's GetSecretValue for one secret, the way the
 * service does (AWS JSON 1.1), and only to requests signed for secretsmanager in us-east-1 by the
 * test's access key. Stands in for AWS where the JDBC wrapper's Secrets Manager plugin is tested.
 */
final class SecretsManagerServer implements AutoCloseable {
  static final String ACCESS_KEY = "AKIDGEOLAKETEST";
  static final String SECRET_KEY = "geolake-test-secret-key";
  static final String REGION = "us-east-1";

  final List<String> served = new CopyOnWriteArrayList<>();
  final List<String> rejected = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final String secretId;
  private final String secretString;

  SecretsManagerServer(String secretId, String username, String password) throws IOException {
    this.secretId = secretId;
    this.secretString = "{\"username\":\"" + username + "\",\"password\":\"" + password + "\",\"engine\":\"postgres\"}";
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** What a process needs in its environment to sign requests to this endpoint. */
  static java.util.Map<String, String> credentials() {
    return java.util.Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", REGION);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    String problem = null;
    if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/") || !auth.contains("/" + REGION + "/secretsmanager/aws4_request")) {
      problem = "not signed for secretsmanager in " + REGION + " by " + ACCESS_KEY + ": " + auth;
    } else if (!"secretsmanager.GetSecretValue".equals(target)) {
      problem = "not GetSecretValue: " + target;
    } else if (!body.replace(" ", "").contains("\"SecretId\":\"" + secretId + "\"")) {
      problem = "not secret " + secretId + ": " + body;
    }
    byte[] response;
    int status;
    if (problem == null) {
      served.add(body);
      status = 200;
      response = ("{\"ARN\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:" + secretId + "\",\"Name\":\"" + secretId
          + "\",\"VersionId\":\"v1\",\"SecretString\":" + quote(secretString) + ",\"VersionStages\":[\"AWSCURRENT\"]}").getBytes(StandardCharsets.UTF_8);
    } else {
      rejected.add(problem);
      status = 400;
      response = "{\"__type\":\"AccessDeniedException\",\"message\":\"refused by the test endpoint\"}".getBytes(StandardCharsets.UTF_8);
    }
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(status, response.length);
    exchange.getResponseBody().write(response);
    exchange.close();
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
