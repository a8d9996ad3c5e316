/**
 * The services' OpenAPI documents served through the gateway, with the gateway as their server and its security
 * schemes.
 */
package dev.sextant.gateway.openapi;
