package dev.tidings.server.security;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Masks tokens in every log line: the {@code access_token} query parameter, the
 * {@code tidings_token} cookie, {@code Bearer} credentials and anything shaped like a JWT, so a
 * request line or header written by any logger (the HTTP access log included) never holds one.
 * Installed on the console and file handlers in {@code application.properties}.
 */
@LoggingFilter(name = "tidings-tokens")
public final class TokenMasking implements Filter {

    static final String MASK = "***";
    private static final Pattern TOKEN = Pattern.compile(
            "(?i)(" + Callers.QUERY_PARAMETER + "=|" + Callers.COOKIE + "=|bearer\\s+)[^&\\s\";,]+"
                    + "|eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (message != null && TOKEN.matcher(message).find()) {
            String masked = mask(message);
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(masked, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(masked);
            }
            record.setParameters(null);
        }
        return true;
    }

    static String mask(String text) {
        return TOKEN.matcher(text).replaceAll(match -> match.group(1) != null ? match.group(1) + MASK : MASK);
    }
}
