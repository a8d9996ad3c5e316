/**
 * The gateway service: the application and its configuration ({@code sextant.gateway.*}). Routes are Spring Cloud
 * Gateway's, in {@code application.yml}.
 */
package dev.sextant.gateway;
