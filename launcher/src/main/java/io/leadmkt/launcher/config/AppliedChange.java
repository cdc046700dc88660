package io.leadmkt.launcher.config;

import java.util.List;

/**
 * What applying one record does to its config table.
 *
 * @param kind    buyer, campaign, or phone / email suppression
 * @param id      the record key (a suppression's: the identity hash)
 * @param action  created, updated, unchanged or deleted (or absent, for a delete of nothing)
 * @param fields  the fields an update changes
 */
public record AppliedChange(String kind, String id, Action action, List<String> fields) {

    public enum Action { CREATED, UPDATED, UNCHANGED, DELETED, ABSENT }

    public boolean writes() {
        return action == Action.CREATED || action == Action.UPDATED || action == Action.DELETED;
    }

    @Override
    public String toString() {
        String line = kind + " " + id + ": " + action.name().toLowerCase();
        return fields.isEmpty() ? line : line + " (" + String.join(", ", fields) + ")";
    }
}
