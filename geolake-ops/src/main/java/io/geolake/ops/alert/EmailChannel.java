package io.geolake.ops.alert;

import io.geolake.core.config.GeolakeConfig;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/** E-mail over SMTP (Jakarta Mail): subject = the alert's title, body = its text. */
final class EmailChannel implements AlertChannel {
  private final GeolakeConfig.Email settings;
  private final Session session;

  EmailChannel(GeolakeConfig.Email settings) {
    this.settings = settings;
    Properties properties = new Properties();
    properties.put("mail.smtp.host", settings.smtpHost());
    properties.put("mail.smtp.port", String.valueOf(settings.smtpPort()));
    properties.put("mail.smtp.starttls.enable", String.valueOf(settings.starttls()));
    properties.put("mail.smtp.connectiontimeout", "10000");
    properties.put("mail.smtp.timeout", "30000");
    boolean auth = !settings.user().isBlank();
    properties.put("mail.smtp.auth", String.valueOf(auth));
    this.session =
        auth
            ? Session.getInstance(properties, new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                  return new PasswordAuthentication(settings.user(), settings.password());
                }
              })
            : Session.getInstance(properties);
  }

  @Override
  public String name() {
    return "email";
  }

  @Override
  public void send(Alert alert) throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(settings.from()));
    for (String to : settings.to()) {
      message.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
    }
    message.setSubject("[geolake] " + alert.title(), "UTF-8");
    message.setText(alert.text() + "\n", "UTF-8");
    Transport.send(message);
  }
}
