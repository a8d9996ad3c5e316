/**
 * Who may call what: API keys and JWT clients, their roles, the access rules on the decoded path, the actor the
 * services record, and the request firewall.
 */
package dev.sextant.gateway.security;
