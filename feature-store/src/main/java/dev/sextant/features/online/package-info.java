/**
 * The online store's API: reads of entities' features from Redis, pushes of rows, and the store's health.
 */
package dev.sextant.features.online;
