package dev.sextant.gateway.web;

/** Exchange attributes that the gateway's filters set for the ones after them, the error answers and the access log. */
public final class RequestAttributes {

    /** The request id (a String), set first for every request. */
    public static final String REQUEST_ID = "sextant.requestId";

    /** The W3C trace id (a String) of the request's trace. */
    public static final String TRACE_ID = "sextant.traceId";

    /** The authenticated client's id (a String), once known. */
    public static final String CLIENT = "sextant.client";

    private RequestAttributes() {}
}
