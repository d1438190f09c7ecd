package io.geolake.core.config;

/** Bad configuration: names the key, what was found and the expected form. Exit code 2. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
