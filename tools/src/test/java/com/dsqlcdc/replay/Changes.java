package com.dsqlcdc.replay;

/**
 * DSQL CDC records (the samples' format: test-fixtures/src/main/resources/fixtures) of the catalog's
 * tables, as the test data of the replay tests.
 */
final class Changes {

    private Changes() {}

    /** An insert into {@code public.documents} (in the catalog). */
    static String document(long id, String body) {
        return "{\"type\":\"full\",\"op\":\"c\",\"before\":null,\"after\":{\"doc_id\":" + id + ",\"title\":\"t" + id
                + "\",\"body\":\"" + body + "\"},\"source\":{\"version\":\"1.0\",\"ts_ms\":1777889730000,"
                + "\"ts_ns\":" + (1_777_889_730_000_000_000L + id) + ",\"txId\":\"tx" + id + "\",\"schema\":\"public\","
                + "\"table\":\"documents\",\"db\":\"postgres\",\"cluster\":\"c\"},\"ts_ms\":1777889730100,\"ts_ns\":1}";
    }

    /** An insert into {@code public.orders} (in the catalog). */
    static String order(long id) {
        return "{\"type\":\"full\",\"op\":\"c\",\"before\":null,\"after\":{\"order_id\":" + id
                + ",\"customer_id\":\"0b6d5a9e-4c1f-4a52-9a3e-2f1d2c3b4a5f\",\"total\":\"12.50\",\"status\":\"new\","
                + "\"placed_at\":1777889730000000,\"ship_date\":20577,\"is_gift\":false,\"notes\":null},"
                + "\"source\":{\"version\":\"1.0\",\"ts_ms\":1777889730000,\"ts_ns\":"
                + (1_777_889_731_000_000_000L + id)
                + ",\"txId\":\"tx\",\"schema\":\"public\",\"table\":\"orders\",\"db\":\"postgres\",\"cluster\":\"c\"},"
                + "\"ts_ms\":1777889730100,\"ts_ns\":1}";
    }

    /** An insert into {@code public.invoices}, a table the catalog does not have. */
    static String invoice(long id) {
        return "{\"type\":\"full\",\"op\":\"c\",\"before\":null,\"after\":{\"invoice_id\":" + id + "},"
                + "\"source\":{\"version\":\"1.0\",\"ts_ms\":1777889730000,\"ts_ns\":"
                + (1_777_889_732_000_000_000L + id)
                + ",\"schema\":\"public\",\"table\":\"invoices\",\"db\":\"postgres\",\"cluster\":\"c\"},"
                + "\"ts_ms\":1777889730100,\"ts_ns\":1}";
    }
}
