package io.leadmkt.streams.intake;

import java.util.Optional;

/**
 * Turns the ways US consumers and forms write a phone number into E.164, so one person's number
 * hashes the same way whichever form captured it (dedupe and suppression match on that hash).
 * Public for the suppression list, whose entries must hash a number exactly as intake does.
 */
public final class UsPhoneNumber {

    private UsPhoneNumber() {
    }

    /**
     * "+15125550147" for "(512) 555-0147", "512.555.0147", "+1 512 555 0147", "1-512-555-0147";
     * empty for anything else: letters, extensions, other country codes, or numbers the North
     * American Numbering Plan cannot assign (area code or exchange starting with 0 or 1).
     */
    public static Optional<String> toE164(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        boolean plus = trimmed.startsWith("+");
        StringBuilder digits = new StringBuilder(11);
        for (int i = plus ? 1 : 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits.length() == 11) {
                    return Optional.empty();
                }
                digits.append(c);
            } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
                return Optional.empty();
            }
        }
        String national;
        if (digits.length() == 11 && digits.charAt(0) == '1') {
            national = digits.substring(1);
        } else if (digits.length() == 10 && !plus) {
            national = digits.toString();
        } else {
            return Optional.empty();
        }
        if (national.charAt(0) < '2' || national.charAt(3) < '2') {
            return Optional.empty();
        }
        return Optional.of("+1" + national);
    }
}
