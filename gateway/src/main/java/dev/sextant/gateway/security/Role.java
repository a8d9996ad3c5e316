package dev.sextant.gateway.security;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What a client may do through the gateway. {@link #PREDICT}: predict and read features, models, training jobs
 * and monitoring. {@link #ADMIN}: everything, including uploading and promoting models, pushing features,
 * starting training and changing monitoring settings.
 */
public enum Role {
    PREDICT,
    ADMIN;

    /** The authorities of a client with this role: an administrator may also do what a predicting client may. */
    List<GrantedAuthority> authorities() {
        return this == ADMIN ? List.of(authority(ADMIN), authority(PREDICT)) : List.of(authority(PREDICT));
    }

    /** {@code predict} or {@code admin}, in any case; empty for anything else. */
    static Optional<Role> named(String name) {
        for (Role role : values()) {
            if (role.name().equals(name.trim().toUpperCase(Locale.ROOT))) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    private static GrantedAuthority authority(Role role) {
        return new SimpleGrantedAuthority("ROLE_" + role.name());
    }
}
