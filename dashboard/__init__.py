"""MI Dashboard: transfer learning and active learning for materials, in the browser."""

__version__ = "0.1.0"
