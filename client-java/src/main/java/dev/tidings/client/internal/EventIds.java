package dev.tidings.client.internal;

import java.math.BigInteger;

/**
 * Orders event ids for de-duplication. Hub ids are {@code <millis>-<sequence>} and compare as
 * numeric pairs; timer ids are plain numbers and compare numerically. Ids of any other shape
 * cannot be ordered, so only an exact repeat counts as "not after".
 */
public final class EventIds {

    private EventIds() {
    }

    /** True when {@code candidate} comes after {@code last} (or cannot be ordered against it and differs). */
    public static boolean isAfter(String candidate, String last) {
        if (last == null) {
            return true;
        }
        BigInteger[] a = pair(candidate);
        BigInteger[] b = pair(last);
        if (a != null && b != null) {
            int byFirst = a[0].compareTo(b[0]);
            return byFirst != 0 ? byFirst > 0 : a[1].compareTo(b[1]) > 0;
        }
        if (isDigits(candidate) && isDigits(last)) {
            return new BigInteger(candidate).compareTo(new BigInteger(last)) > 0;
        }
        return !candidate.equals(last);
    }

    private static BigInteger[] pair(String id) {
        int dash = id.indexOf('-');
        if (dash <= 0 || dash == id.length() - 1) {
            return null;
        }
        String first = id.substring(0, dash);
        String second = id.substring(dash + 1);
        if (!isDigits(first) || !isDigits(second)) {
            return null;
        }
        return new BigInteger[] {new BigInteger(first), new BigInteger(second)};
    }

    private static boolean isDigits(String text) {
        if (text.isEmpty() || text.length() > 64) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
