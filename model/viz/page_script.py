"""What the page needs that no widget offers: the document's language, alt text on the
drawings, and the controls drawer getting out of the way when a run starts on a narrow window.

Why a script: Solara's page template writes `<html>` without `lang`, and its image widget has no
`alt`; below 960 px the sidebar is a drawer over the page, so pressing Play left it covering
the network. A Vue template (part of ipyvuetify, served by the app itself: works offline) sets
`lang`, copies `alts` (CSS class of an image -> its text) onto the images whenever the page
changes, and closes the drawer when Play is pressed on a narrow window.
"""

from __future__ import annotations

import ipyvuetify as v
import solara
import traitlets

LANG = "en"
NARROW_PX = 960          # Solara's AppLayout turns the sidebar into a drawer below this

_TEMPLATE = """
<template><span class="pp-page-script" style="display:none"></span></template>
<script>
module.exports = {
  mounted() {
    document.documentElement.lang = this.lang;
    this.observer = new MutationObserver(() => this.setAlts());
    this.observer.observe(document.body, {childList: true, subtree: true});
    this.setAlts();
    this.onClick = (event) => {
      const play = event.target.closest && event.target.closest('.pp-play');
      const drawer = document.querySelector('.v-navigation-drawer');
      let vm = drawer && drawer.__vue__;    // the widget's wrapper; Vuetify's drawer inside
      while (vm && vm.isActive === undefined) { vm = vm.$children[0]; }
      if (play && window.innerWidth < this.narrow && vm) {
        vm.isActive = false;                  // Vuetify tells the layout (its v-model)
      }
    };
    document.addEventListener('click', this.onClick, true);
  },
  destroyed() {
    this.observer.disconnect();
    document.removeEventListener('click', this.onClick, true);
  },
  watch: { alts() { this.setAlts(); } },
  methods: {
    setAlts() {
      for (const [cls, text] of Object.entries(this.alts || {})) {
        document.querySelectorAll('img.' + cls).forEach((img) => {
          if (img.alt !== text) { img.alt = text; }
        });
      }
    },
  },
};
</script>
"""


class _PageScript(v.VuetifyTemplate):
    template = traitlets.Unicode(_TEMPLATE).tag(sync=True)
    lang = traitlets.Unicode(LANG).tag(sync=True)
    narrow = traitlets.Int(NARROW_PX).tag(sync=True)
    alts = traitlets.Dict().tag(sync=True)


@solara.component
def PageScript(alts: dict[str, str]):
    """The script, with `alts`: CSS class of an image -> its alt text (kept up to date)."""
    _PageScript.element(alts=alts)
