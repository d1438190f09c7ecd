package io.geolake.dist;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.auth.signer.params.SignerChecksumParams;
import software.amazon.awssdk.core.checksums.Algorithm;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * An Iceberg REST endpoint the way AWS Glue's is reached ({@code <endpoint>/iceberg}, SigV4 for
 * service "glue"): every request's signature is computed again from the request as received, with
 * the test's secret key, and only a matching one is passed on to the REST catalog server behind;
 * the rest get 403, as from AWS.
 */
final class SigV4CatalogEndpoint implements AutoCloseable {
  static final String SERVICE = "glue";
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)");
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  final List<String> served = new CopyOnWriteArrayList<>();
  final List<String> rejected = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final URI backend;
  private final HttpClient client = HttpClient.newHttpClient();

  SigV4CatalogEndpoint(URI backend) throws IOException {
    this.backend = backend;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/iceberg/", this::answer);
    server.start();
  }

  /** What a client gives as the catalog's uri. */
  String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/iceberg";
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String method = exchange.getRequestMethod();
      String problem = signatureProblem(exchange, body);
      if (problem != null) {
        rejected.add(method + " " + exchange.getRequestURI() + ": " + problem);
        byte[] response = ("{\"error\":{\"message\":\"" + problem.replace("\"", "'") + "\",\"type\":\"AccessDeniedException\",\"code\":403}}").getBytes();
        exchange.sendResponseHeaders(403, response.length);
        exchange.getResponseBody().write(response);
        return;
      }
      served.add(method + " " + exchange.getRequestURI());
      String pathAndQuery = exchange.getRequestURI().getRawPath().substring("/iceberg".length())
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
      HttpRequest.Builder forward = HttpRequest.newBuilder(backend.resolve(pathAndQuery.substring(1)))
          .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType != null) {
        forward.header("Content-Type", contentType);
      }
      HttpResponse<byte[]> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      response.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
      boolean noBody = method.equals("HEAD") || response.body().length == 0;
      exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : response.body().length);
      if (!noBody) {
        exchange.getResponseBody().write(response.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Why the request's signature is not the test key's for glue in the test region, or null when it is. */
  private static String signatureProblem(HttpExchange exchange, byte[] body) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    Matcher m = authorization == null ? null : AUTHORIZATION.matcher(authorization);
    if (m == null || !m.matches()) {
      return "not SigV4-signed: " + authorization;
    }
    if (!m.group(1).equals(SecretsManagerServer.ACCESS_KEY) || !m.group(3).equals(SecretsManagerServer.REGION) || !m.group(4).equals(SERVICE)) {
      return "signed by " + m.group(1) + " for " + m.group(4) + " in " + m.group(3);
    }
    String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
    if (amzDate == null) {
      return "no X-Amz-Date";
    }
    // Sign the request again as received: the headers it says it signed, its body, its time.
    SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
        .method(SdkHttpMethod.fromValue(exchange.getRequestMethod()))
        .uri(URI.create("http://" + exchange.getRequestHeaders().getFirst("Host") + exchange.getRequestURI().getRawPath()
            + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())));
    for (String header : m.group(5).split(";")) {
      if (!header.equals("host")) {
        request.putHeader(header, exchange.getRequestHeaders().get(header));
      }
    }
    if (body.length > 0) {
      request.contentStreamProvider(() -> new ByteArrayInputStream(body));
    }
    Aws4SignerParams params = Aws4SignerParams.builder()
        .signingName(SERVICE)
        .signingRegion(Region.of(SecretsManagerServer.REGION))
        .awsCredentials(AwsBasicCredentials.create(SecretsManagerServer.ACCESS_KEY, SecretsManagerServer.SECRET_KEY))
        .signingClockOverride(Clock.fixed(Instant.from(AMZ_DATE.parse(amzDate)), ZoneOffset.UTC))
        .checksumParams(SignerChecksumParams.builder().algorithm(Algorithm.SHA256).isStreamingRequest(false)
            .checksumHeaderName("x-amz-content-sha256").build())
        .build();
    String expected = Aws4Signer.create().sign(request.build(), params).firstMatchingHeader("Authorization").orElse("");
    Matcher e = AUTHORIZATION.matcher(expected);
    if (!e.matches() || !e.group(6).equals(m.group(6))) {
      return "signature does not match the request (expected " + expected + ")";
    }
    return null;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
