/**
 * Aliases ({@code champion}, {@code challenger}...): setting, moving and deleting them, with their history.
 */
package dev.sextant.registry.alias;
