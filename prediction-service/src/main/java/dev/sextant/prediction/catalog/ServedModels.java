package dev.sextant.prediction.catalog;

import java.util.List;

/** The models this instance serves ({@code sextant.prediction.models}); empty: every model that has an alias. */
public record ServedModels(List<String> names) {

    public ServedModels {
        names = List.copyOf(names);
    }
}
