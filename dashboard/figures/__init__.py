"""Figure builders: pure functions from data to a Plotly figure, one module per page's plots."""
