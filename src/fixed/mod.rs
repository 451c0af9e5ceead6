//! Fixed point: runtime Q(K.M) formats with an explicit scaling factor, arithmetic with
//! overflow policy in the method name, and explain traces.
//!
//! (Being built: see issue 2.)
