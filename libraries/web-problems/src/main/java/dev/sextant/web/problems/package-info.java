/**
 * Problem details (RFC 9457) for what the Spring MVC services refuse before their controllers run, and the actor
 * header they record with every change (refused with a problem when it names no valid actor).
 */
package dev.sextant.web.problems;
