/**
 * JSX typing for the few @wokwi/elements tags we render. The package's own react-types.d.ts
 * augments the global JSX namespace, which @types/react 19 no longer reads; React 19 itself sets
 * known element properties (value, color, pressed) as properties and `on<event>` props as
 * listeners, so only the types are missing.
 */

import type { HTMLAttributes, Ref } from 'react';

type WokwiProps<Extra> = HTMLAttributes<HTMLElement> & { ref?: Ref<HTMLElement> } & Extra & {
    'data-testid'?: string;
  };

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'wokwi-led': WokwiProps<{ color?: string; value?: boolean; label?: string }>;
      'wokwi-pushbutton': WokwiProps<{
        color?: string;
        label?: string;
        'onbutton-press'?: (e: Event) => void;
        'onbutton-release'?: (e: Event) => void;
      }>;
      'wokwi-slide-switch': WokwiProps<{ value?: number; oninput?: (e: Event) => void }>;
      'wokwi-potentiometer': WokwiProps<{
        min?: number;
        max?: number;
        value?: number;
        step?: number;
        oninput?: (e: Event) => void;
      }>;
    }
  }
}
