/**
 * A searchable pick-one list in the Lightning Design System's combobox markup
 * (https://www.lightningdesignsystem.com/components/combobox/): an input with role="combobox" that filters a
 * listbox as the admin types, ↓/↑ to move through the options (aria-activedescendant, so focus stays in the input),
 * Enter to choose, Escape to close the list (only the list: a second Escape reaches the dialog around it), and the
 * chosen option's text shown when the list is closed.
 */
import { useRef, useState } from 'preact/hooks';
import { Icon } from './icon';

export interface ComboboxOption {
  value: string;
  label: string;
  /** a second line in a lighter colour: API name, type */
  meta?: string;
}

export function Combobox(props: {
  id: string;
  options: ComboboxOption[];
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  invalid?: boolean;
  describedBy?: string;
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  const listboxId = `${props.id}-listbox`;
  const selected = props.options.find((o) => o.value === props.value);

  const needle = query?.trim().toLowerCase() ?? '';
  const shown = needle ? props.options.filter((o) => [o.label, o.value, o.meta ?? ''].some((text) => text.toLowerCase().includes(needle))) : props.options;
  const highlighted = open ? shown[Math.min(active, shown.length - 1)] : undefined;
  const optionId = (index: number) => `${props.id}-option-${index}`;

  const show = (index: number) => {
    setOpen(true);
    setActive(index);
    // Keep the highlighted option in view inside the scrolling list.
    queueMicrotask(() => listRef.current?.querySelector(`#${CSS.escape(optionId(index))}`)?.scrollIntoView({ block: 'nearest' }));
  };
  const close = () => {
    setOpen(false);
    setQuery(null);
  };
  const choose = (option: ComboboxOption) => {
    close();
    props.onChange(option.value);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const last = shown.length - 1;
    const current = Math.min(active, last);
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      show(open ? Math.min(current + 1, last) : Math.max(0, shown.indexOf(selected!)));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      show(open ? Math.max(current - 1, 0) : Math.max(0, shown.indexOf(selected!)));
    } else if ((event.key === 'Home' || event.key === 'End') && open) {
      event.preventDefault();
      show(event.key === 'Home' ? 0 : last);
    } else if (event.key === 'Enter' && open) {
      event.preventDefault();
      if (highlighted) choose(highlighted);
    } else if (event.key === 'Escape' && (open || query !== null)) {
      // Closes the list only; the dialog around it stays.
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === 'Tab') {
      close();
    }
  };

  return (
    <div class="slds-combobox_container fb-combobox" data-testid={props.testId}>
      <div class={`slds-combobox slds-dropdown-trigger slds-dropdown-trigger_click${open ? ' slds-is-open' : ''}`}>
        <div class="slds-combobox__form-element slds-input-has-icon slds-input-has-icon_right" role="none">
          <input
            id={props.id}
            class="slds-input slds-combobox__input"
            type="text"
            role="combobox"
            autoComplete="off"
            aria-autocomplete="list"
            aria-haspopup="listbox"
            aria-expanded={open}
            aria-controls={listboxId}
            aria-activedescendant={highlighted ? optionId(shown.indexOf(highlighted)) : undefined}
            aria-invalid={props.invalid || undefined}
            aria-describedby={props.describedBy}
            data-value={props.value}
            placeholder={props.placeholder}
            value={query ?? selected?.label ?? ''}
            onFocus={(event) => (event.currentTarget as HTMLInputElement).select()}
            onInput={(event) => {
              const typed = (event.currentTarget as HTMLInputElement).value;
              // Typing after the chosen option's text (the caret was at its end) searches for what was typed.
              const label = selected?.label ?? '';
              setQuery(query === null && label && typed.startsWith(label) && typed.length > label.length ? typed.slice(label.length) : typed);
              setOpen(true);
              setActive(0);
            }}
            onClick={() => (open ? close() : show(Math.max(0, props.options.indexOf(selected!))))}
            onKeyDown={onKeyDown}
            onBlur={close}
          />
          <span class="slds-icon_container slds-icon-utility-search slds-input__icon slds-input__icon_right" aria-hidden="true">
            <Icon name="search" class="slds-icon slds-icon_x-small slds-icon-text-default" />
          </span>
        </div>
        <div ref={listRef} id={listboxId} class="slds-dropdown slds-dropdown_length-7 slds-dropdown_fluid" role="listbox" aria-label="Fields" hidden={!open}>
          <ul class="slds-listbox slds-listbox_vertical" role="presentation">
            {shown.length === 0 && (
              <li role="presentation" class="slds-listbox__item">
                <span class="slds-listbox__option slds-listbox__option_plain slds-text-color_weak">No field matches “{query}”.</span>
              </li>
            )}
            {shown.map((option, index) => (
              <li role="presentation" class="slds-listbox__item" key={option.value}>
                <div
                  id={optionId(index)}
                  class={`slds-media slds-listbox__option slds-listbox__option_plain${option.meta ? ' slds-listbox__option_has-meta' : ''}${option === highlighted ? ' slds-has-focus' : ''}`}
                  role="option"
                  aria-selected={option.value === props.value}
                  data-value={option.value}
                  // mousedown, not click: the input keeps focus (its blur would close the list first).
                  onMouseDown={(event) => {
                    event.preventDefault();
                    choose(option);
                  }}
                >
                  <span class="slds-media__body">
                    <span class="slds-listbox__option-text slds-listbox__option-text_entity">{option.label}</span>
                    {option.meta && <span class="slds-listbox__option-meta slds-listbox__option-meta_entity">{option.meta}</span>}
                  </span>
                </div>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
