package io.leadmkt.connector.adapter;

import io.leadmkt.schema.BuyerConfig;

/**
 * Chooses the adapter for a buyer. Today every buyer speaks the JSON protocol; when buyer formats
 * become configuration, the choice is made here from the buyer's config.
 */
public final class BuyerAdapters {

    private final BuyerAdapter defaultAdapter;

    public BuyerAdapters(BuyerAdapter defaultAdapter) {
        this.defaultAdapter = defaultAdapter;
    }

    public static BuyerAdapters json() {
        return new BuyerAdapters(new JsonBuyerAdapter());
    }

    public BuyerAdapter forBuyer(BuyerConfig buyer) {
        return defaultAdapter;
    }
}
