/**
 * What cuts across the gateway's own HTTP answers: its errors as problem details, and the request attributes its
 * filters share.
 */
package dev.sextant.gateway.web;
