package com.dsqlcdc.consumer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The one way this module builds a Jackson tree mapper: numbers stay exact (no doubles). */
public final class Json {

    private Json() {}

    /** @return a mapper whose trees keep every number exactly as written: big integers and decimals included */
    public static ObjectMapper exactMapper() {
        return JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .build();
    }
}
