/** Problem details (RFC 9457) for what the Spring MVC services refuse before their controllers run. */
package dev.sextant.web.problems;
