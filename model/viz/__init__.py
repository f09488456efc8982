"""The interactive visualization: a Mesa/Solara app to watch one run unfold in a browser.

`app.py` is the page (`solara run model.viz.app:page`, or `pressure viz`); the other modules are
its parts, one concept each: the levers the sliders move, the model wrapper Mesa's reset needs,
the network sample and its layout, the network view, the charts, the panel of current figures,
the controls, the command line and the headless-browser helpers used by tests and the screenshot.

Importing this package needs only the core dependencies; the Solara parts need the `viz` extra.
"""
