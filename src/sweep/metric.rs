//! A metric column: a name and a function from an evaluated configuration to a number.
//!
//! Sweeps take their metric set as a list, so a new figure is a new entry: the glitch-aware
//! energy, for example, drops into a circuit sweep as
//! `metrics.push(Metric::new("glitch energy (pJ/op)", move |c: &CircuitEval| ...))`
//! next to [`circuit_metrics`](super::circuit_metrics)' zero-delay energy.

use std::sync::Arc;

use crate::Result;

type Eval<E> = Arc<dyn Fn(&E) -> Result<f64> + Send + Sync>;

/// One metric over evaluated configurations of type `E`.
pub struct Metric<E> {
    name: String,
    eval: Eval<E>,
}

impl<E> Clone for Metric<E> {
    fn clone(&self) -> Self {
        Metric {
            name: self.name.clone(),
            eval: Arc::clone(&self.eval),
        }
    }
}

impl<E> std::fmt::Debug for Metric<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Metric({:?})", self.name)
    }
}

impl<E> Metric<E> {
    /// A metric named `name` (the column header, with its unit) computed by `eval`.
    ///
    /// ```
    /// use arithsim::sweep::{CircuitEval, Metric};
    /// let gates = Metric::new("gates", |c: &CircuitEval| Ok(c.stats.gates as f64));
    /// assert_eq!(gates.name(), "gates");
    /// ```
    pub fn new(
        name: impl Into<String>,
        eval: impl Fn(&E) -> Result<f64> + Send + Sync + 'static,
    ) -> Self {
        Metric {
            name: name.into(),
            eval: Arc::new(eval),
        }
    }

    /// The column header.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The metric of `e`.
    ///
    /// # Errors
    ///
    /// Whatever the metric's function returns.
    pub fn eval(&self, e: &E) -> Result<f64> {
        (self.eval)(e)
    }
}
