package dev.sextant.features.client.definition;

import java.util.List;

/** Something features describe (a card, a merchant), identified by one or more join keys. */
public record Entity(String name, String description, List<JoinKey> joinKeys) {

    public Entity {
        joinKeys = List.copyOf(joinKeys);
    }
}
