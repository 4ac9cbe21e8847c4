// Associations between records, both directions kept, as HubSpot keeps them: creating contact → company with type 279
// also makes company → contact with 280. The HUBSPOT_DEFINED type ids (unlabeled defaults and primaries) are the
// table of the associations v4 guide (developers.hubspot.com/docs/api-reference/crm-associations-v4/guide,
// "Association type ID values": contact→company 279 / primary 1, company→contact 280 / 2, deal→contact 3,
// contact→deal 4, deal→company 341 / 5, company→deal 342 / 6, ticket→contact 16, contact→ticket 15,
// ticket→company 339 / 26, company→ticket 340 / 25, deal→ticket 27, ticket→deal 28). Pairs with custom objects get
// an emulator-chosen default id; custom labels are USER_DEFINED types created by `defineLabel`.

/** An association type as requests name it (`AssociationSpec`). */
export interface AssociationSpec {
  associationCategory: 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED';
  associationTypeId: number;
}

/** An association type as reads describe it (`AssociationSpecWithLabel`). */
export interface AssociationTypeWithLabel {
  category: AssociationSpec['associationCategory'];
  typeId: number;
  label: string | null;
}

interface TypeDef extends AssociationTypeWithLabel {
  from: string;
  to: string;
  inverse: number;
}

/** The associations of one account, keyed by object type id (`0-1`) and record id. */
export interface HubSpotAssociations {
  /** The unlabeled default type of a pair, e.g. 279 for `0-1` → `0-2`. */
  defaultType(from: string, to: string): AssociationTypeWithLabel;
  /** A known type of the pair, or undefined. */
  findType(from: string, to: string, typeId: number): AssociationTypeWithLabel | undefined;
  /** The target type and details of a type id leaving `from` (types are per pair, so the id names the target). */
  typeFrom(from: string, typeId: number): (AssociationTypeWithLabel & { to: string }) | undefined;
  /** Every type of the pair. */
  typesOf(from: string, to: string): AssociationTypeWithLabel[];
  /** Creates a USER_DEFINED label between two types (and its inverse); answers its type id. */
  defineLabel(from: string, to: string, label: string): number;
  /** Adds the given types between two records, and their inverses. */
  associate(from: string, fromId: string, to: string, toId: string, typeIds: number[]): void;
  /** Removes every type between two records, both ways. */
  remove(from: string, fromId: string, to: string, toId: string): void;
  /** The records of type `to` associated with `fromId`, in id order, with their types. */
  list(
    from: string,
    fromId: string,
    to: string,
  ): { toObjectId: string; associationTypes: AssociationTypeWithLabel[] }[];
  clear(): void;
}

const STANDARD: [string, string, number, number, string | null][] = [
  ['0-1', '0-2', 279, 280, null],
  ['0-1', '0-2', 1, 2, 'Primary'],
  ['0-3', '0-1', 3, 4, null],
  ['0-3', '0-2', 341, 342, null],
  ['0-3', '0-2', 5, 6, 'Primary'],
  ['0-5', '0-1', 16, 15, null],
  ['0-5', '0-2', 339, 340, null],
  ['0-5', '0-2', 26, 25, 'Primary'],
  ['0-3', '0-5', 27, 28, null],
];

/** Creates the association registry and edge store. */
export function createHubSpotAssociations(): HubSpotAssociations {
  let types = new Map<string, TypeDef>();
  let nextCustomType = 900;
  let edges = new Map<string, Map<string, Set<number>>>();

  const typeKey = (from: string, to: string, typeId: number) => `${from}>${to}#${typeId}`;
  const addType = (from: string, to: string, typeId: number, inverse: number, label: string | null) => {
    const category = label !== null && label !== 'Primary' ? 'USER_DEFINED' : 'HUBSPOT_DEFINED';
    types.set(typeKey(from, to, typeId), { from, to, typeId, inverse, label, category });
    types.set(typeKey(to, from, inverse), {
      from: to,
      to: from,
      typeId: inverse,
      inverse: typeId,
      label,
      category,
    });
  };
  const seed = () => {
    types = new Map();
    for (const [from, to, typeId, inverse, label] of STANDARD) addType(from, to, typeId, inverse, label);
  };
  seed();

  const typesOf = (from: string, to: string) =>
    [...types.values()].filter((type) => type.from === from && type.to === to);
  const publicType = (type: TypeDef): AssociationTypeWithLabel => ({
    category: type.category,
    typeId: type.typeId,
    label: type.label,
  });
  const defaultType = (from: string, to: string): TypeDef => {
    const unlabeled = typesOf(from, to).find((type) => type.label === null);
    if (unlabeled) return unlabeled;
    // A pair without a HubSpot-defined type (custom objects): give it one, stable for this account.
    const typeId = nextCustomType++;
    const inverse = from === to ? typeId : nextCustomType++;
    addType(from, to, typeId, inverse, null);
    return types.get(typeKey(from, to, typeId))!;
  };
  const edgeSet = (from: string, fromId: string, to: string, toId: string, create: boolean) => {
    const key = `${from}:${fromId}>${to}`;
    let targets = edges.get(key);
    if (!targets) {
      if (!create) return undefined;
      targets = new Map();
      edges.set(key, targets);
    }
    let set = targets.get(toId);
    if (!set && create) {
      set = new Set();
      targets.set(toId, set);
    }
    return set;
  };

  return {
    defaultType: (from, to) => publicType(defaultType(from, to)),
    findType(from, to, typeId) {
      const type = types.get(typeKey(from, to, typeId));
      return type ? publicType(type) : undefined;
    },
    typesOf: (from, to) => typesOf(from, to).map(publicType),
    typeFrom(from, typeId) {
      for (const type of types.values()) {
        if (type.from === from && type.typeId === typeId) return { ...publicType(type), to: type.to };
      }
      return undefined;
    },
    defineLabel(from, to, label) {
      const existing = typesOf(from, to).find((type) => type.label === label);
      if (existing) return existing.typeId;
      const typeId = nextCustomType++;
      addType(from, to, typeId, from === to ? typeId : nextCustomType++, label);
      return typeId;
    },
    associate(from, fromId, to, toId, typeIds) {
      for (const typeId of typeIds) {
        const type = types.get(typeKey(from, to, typeId));
        if (!type) throw new RangeError(`association type ${typeId} does not exist from ${from} to ${to}`);
        edgeSet(from, fromId, to, toId, true)!.add(typeId);
        edgeSet(to, toId, from, fromId, true)!.add(type.inverse);
        // A labeled association implies the unlabeled one, as in HubSpot (v4 guide: a label is added on top).
        if (type.label !== null) {
          const unlabeled = defaultType(from, to);
          edgeSet(from, fromId, to, toId, true)!.add(unlabeled.typeId);
          edgeSet(to, toId, from, fromId, true)!.add(unlabeled.inverse);
        }
      }
    },
    remove(from, fromId, to, toId) {
      edges.get(`${from}:${fromId}>${to}`)?.delete(toId);
      edges.get(`${to}:${toId}>${from}`)?.delete(fromId);
    },
    list(from, fromId, to) {
      const targets = edges.get(`${from}:${fromId}>${to}`);
      if (!targets) return [];
      return [...targets.entries()]
        .filter(([, set]) => set.size > 0)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([toObjectId, set]) => ({
          toObjectId,
          associationTypes: [...set]
            .sort((a, b) => a - b)
            .map((typeId) => publicType(types.get(typeKey(from, to, typeId))!)),
        }));
    },
    clear() {
      edges = new Map();
      nextCustomType = 900;
      seed();
    },
  };
}
