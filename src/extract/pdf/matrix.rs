//! The affine transformations that place text: text, form and current transformation matrices.

/// An affine transformation `[a b c d e f]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Matrix(pub(super) [f32; 6]);

impl Matrix {
    /// The transformation that changes nothing.
    pub(super) const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// A move by (`x`, `y`).
    pub(super) fn translation(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self` applied first, then `then`.
    pub(super) fn then(self, then: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = then.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    /// The matrix of an operator's six operands, if they are six finite numbers.
    pub(super) fn from_numbers(numbers: &[f32]) -> Option<Matrix> {
        let numbers: [f32; 6] = numbers.try_into().ok()?;
        numbers
            .iter()
            .all(|n| n.is_finite())
            .then_some(Matrix(numbers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transformations_compose_in_order() {
        let scaled = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let moved = Matrix::translation(10.0, 5.0).then(scaled);
        assert_eq!(moved, Matrix([2.0, 0.0, 0.0, 2.0, 20.0, 10.0]));
        assert_eq!(
            Matrix::from_numbers(&[1.0, 0.0, 0.0, 1.0, f32::NAN, 0.0]),
            None
        );
        assert_eq!(Matrix::from_numbers(&[1.0]), None);
    }
}
