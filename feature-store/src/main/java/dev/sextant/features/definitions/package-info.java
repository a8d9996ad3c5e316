/**
 * The feature repository as the service loads it ({@code feature-store-client}'s definitions) and the views API that
 * lists and describes it.
 */
package dev.sextant.features.definitions;
