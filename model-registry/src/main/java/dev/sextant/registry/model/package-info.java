/**
 * Registered models and their immutable versions: the upload flow, metadata validation, the SQL repository, the
 * models API.
 */
package dev.sextant.registry.model;
